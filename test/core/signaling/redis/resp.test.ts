import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRedisUrl, RedisClient, RedisReplyError, RedisUnavailableError } from '../../../../src/core/signaling/redis/resp'
import { HAVE_REDIS, startRedis, type RedisServer } from '../../../helpers/redis'

describe('redis:// URLs', () => {
  it('reads host, port, password and database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380')).toEqual({ host: '127.0.0.1', port: 6380, display: 'redis://127.0.0.1:6380' })
    expect(parseRedisUrl('redis://:s%40cret@[::1]/2')).toEqual({ host: '::1', port: 6379, password: 's@cret', db: 2, display: 'redis://[::1]/2' })
  })

  it('refuses anything else in one line', () => {
    for (const bad of ['localhost:6379', 'http://x', 'redis://', 'redis://h/x']) expect(() => parseRedisUrl(bad)).toThrow(/^--redis/)
  })
})

let redis: RedisServer
beforeAll(async () => {
  if (HAVE_REDIS) redis = await startRedis()
})
afterAll(() => redis?.stop())

describe.skipIf(!HAVE_REDIS)('the RESP2 client against a real redis-server', () => {
  it('pipelines commands and matches replies in order, bulk strings in UTF-8, arrays, nulls, errors', async () => {
    const client = new RedisClient(parseRedisUrl(redis.url))
    await client.connect()
    const big = 'é'.repeat(100_000)
    const replies = await Promise.all([
      client.command(['SET', 'k', big]),
      client.command(['GET', 'k']),
      client.command(['GET', 'missing']),
      client.command(['RPUSH', 'l', 'a', 'b']),
      client.command(['LRANGE', 'l', 0, -1])
    ])
    expect(replies).toEqual(['OK', big, null, 2, ['a', 'b']])
    await expect(client.command(['NOSUCHCOMMAND'])).rejects.toBeInstanceOf(RedisReplyError)
    client.close()
    await expect(client.command(['PING'])).rejects.toBeInstanceOf(RedisUnavailableError)
  })
})
