import { describe, expect, it } from 'vitest'
import {
  added, array, def, defs, enumOf, ifThenElse, integer, literal, nullable, object, optional, refine, string, toJsonText, tuple, type Static
} from '../../../src/shared/schema/builder'

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const same = <A, B>(ok: Same<A, B>) => ok

describe('schema builder', () => {
  it('writes plain JSON Schema: required lists what is not optional or added', () => {
    const Point = def('point', object({ x: integer({ minimum: 0 }), y: optional(string({ pattern: '^a' })), z: added(nullable(literal(true))) }))
    const doc = { ...object({ at: Point, kind: enumOf(['a', 'b']) }), $defs: defs([Point]) }
    expect(JSON.parse(toJsonText(doc))).toEqual({
      type: 'object',
      required: ['at', 'kind'],
      properties: { at: { $ref: '#/$defs/point' }, kind: { enum: ['a', 'b'] } },
      $defs: {
        point: {
          type: 'object',
          required: ['x'],
          properties: { x: { type: 'integer', minimum: 0 }, y: { type: 'string', pattern: '^a' }, z: { anyOf: [{ const: true }, { type: 'null' }] } }
        }
      }
    })
    // `added`: required in the type (writers set it), optional in the schema (old readers' files).
    expect(same<Static<typeof Point>, { x: number; y?: string; z: true | null }>(true)).toBe(true)
  })

  it('types tuples, refinements and if/then/else as what they accept', () => {
    const A = def('a', object({ missing: literal(true) }))
    const B = def('b', object({ n: array(integer()) }))
    const either = ifThenElse({ required: ['missing'] }, A, B)
    const pair = tuple([refine(either, { properties: {} }), either])
    expect(pair).toMatchObject({ prefixItems: [{ allOf: [either, { properties: {} }] }, either], minItems: 2, maxItems: 2, items: false })
    expect(same<Static<typeof pair>, [{ missing: true } | { n: number[] }, { missing: true } | { n: number[] }]>(true)).toBe(true)
  })
})
