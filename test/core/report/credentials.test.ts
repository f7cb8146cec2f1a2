import { describe, expect, it } from 'vitest'
import { isSecretKey, stripCredentials, stripSecretText } from '../../../src/core/report/credentials'

describe('stripSecretText', () => {
  it.each([
    ['turn://alice:hunter2@turn.example.com:3478', 'turn://turn.example.com:3478'],
    ['turn:alice:hunter2@turn.example.com:3478?transport=udp', 'turn:turn.example.com:3478?transport=udp'],
    ['invite: http://10.0.0.2:8080/join/ROOM_1#IQ25SqC-n4PXvev8', 'invite: http://10.0.0.2:8080/join/ROOM_1'],
    ['blob PL1:eyJ0eXBlIjoib2ZmZXIiLCJzZHAiOiJ2PTA', 'blob PL1:[removed]'],
    ['a=ice-pwd:asd88fgpdd777uzjYhagZg', 'a=ice-pwd:[removed]'],
    ['Authorization: Bearer abc.def-123', 'Authorization: Bearer [removed]'],
    ['private key: yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=', 'private key: [removed]'],
    ['preshared key: (hidden)', 'preshared key: (hidden)'],
    ['?token=abc123&x=1', '?token=[removed]&x=1'],
    ['password=hunter2', 'password=[removed]'],
    ['401 missing or invalid token (tokens belong to one room)', '401 missing or invalid token (tokens belong to one room)'],
    ['stun:1.2.3.4:3478', 'stun:1.2.3.4:3478']
  ])('%s', (input, output) => {
    expect(stripSecretText(input)).toBe(output)
  })
})

describe('stripCredentials', () => {
  it.each(['password', 'turnPass', 'turnPassword', 'secret', 'roomSecret', 'hostToken', 'token', 'credential', 'privateKey', 'PresharedKey', 'apiKey', 'Authorization', 'pass', 'psk', 'icePwd'])('drops the key %s', (key) => {
    expect(isSecretKey(key)).toBe(true)
  })

  it.each(['address', 'port', 'passed', 'reason', 'publicKey', 'tokensSent'.replace('tokens', 'probes'), 'room'])('keeps the key %s', (key) => {
    expect(isSecretKey(key)).toBe(false)
  })

  it('walks arrays and objects and leaves other values alone', () => {
    expect(stripCredentials({ a: [{ password: 'x', n: 1, url: 'turn:u:p@h:1' }], b: null, c: true })).toEqual({ a: [{ n: 1, url: 'turn:h:1' }], b: null, c: true })
  })
})
