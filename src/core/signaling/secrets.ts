import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** URL-safe random string carrying `bytes * 8` random bits. */
export function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}

/**
 * Compares a presented secret with the expected one in constant time.
 * Hashing first makes both sides the same length, so the length leaks nothing either.
 */
export function secretEquals(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
