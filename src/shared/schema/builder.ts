// A tiny JSON Schema builder in the style of TypeBox: each function returns a plain JSON Schema
// (draft 2020-12) object and, at the type level only, the TypeScript type it describes, so
// `Static<typeof X>` is the type and `X` is the schema, from one definition. No imports on purpose:
// src/shared runs in Node, Electron's renderer and the browser join page.

/** A plain JSON value, as a schema is written to disk. */
export type JsonObject = { [key: string]: unknown }

declare const STATIC: unique symbol
/** Marks an object property as not listed in `required` (runtime marker, never serialized). */
const OPTIONAL: unique symbol = Symbol('optional')
/** Holds a `$defs` entry's name and schema on the `$ref` that points to it (never serialized). */
const DEF: unique symbol = Symbol('def')

/** A JSON Schema that carries the TypeScript type `T` of the values it accepts (type level only). */
export type Schema<T = unknown> = JsonObject & { readonly [STATIC]: T }

/** The TypeScript type a schema describes. */
export type Static<S> = S extends { readonly [STATIC]: infer T } ? T : never

type Optional<S extends Schema> = S & { readonly [OPTIONAL]: 'optional' }
type Added<S extends Schema> = S & { readonly [OPTIONAL]: 'added' }
type Props = Record<string, Schema>
type OptionalKeys<P extends Props> = { [K in keyof P]: P[K] extends { readonly [OPTIONAL]: 'optional' } ? K : never }[keyof P]
type Flat<T> = { [K in keyof T]: T[K] } & {}
type ObjectStatic<P extends Props> = Flat<{ [K in Exclude<keyof P, OptionalKeys<P>>]: Static<P[K]> } & { [K in OptionalKeys<P>]?: Static<P[K]> }>
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never

interface Options {
  description?: string
}

function make<T>(schema: JsonObject, options: Options = {}): Schema<T> {
  return (options.description === undefined ? schema : { ...schema, description: options.description }) as Schema<T>
}

/** The same schema with a `description` for readers of the JSON (the type does not change). */
export function describe<S extends Schema>(description: string, schema: S): S {
  return { ...schema, description }
}

export function string(options: Options & { pattern?: string } = {}): Schema<string> {
  return make({ type: 'string', ...(options.pattern !== undefined ? { pattern: options.pattern } : {}) }, options)
}

interface NumberOptions extends Options {
  minimum?: number
  maximum?: number
}

function numeric(type: 'number' | 'integer', options: NumberOptions): Schema<number> {
  const { minimum, maximum } = options
  return make({ type, ...(minimum !== undefined ? { minimum } : {}), ...(maximum !== undefined ? { maximum } : {}) }, options)
}

export function number(options: NumberOptions = {}): Schema<number> {
  return numeric('number', options)
}

export function integer(options: NumberOptions = {}): Schema<number> {
  return numeric('integer', options)
}

export function boolean(options: Options = {}): Schema<boolean> {
  return make({ type: 'boolean' }, options)
}

export function nullType(): Schema<null> {
  return make({ type: 'null' })
}

/** Anything at all (`{}`). */
export function unknown(options: Options = {}): Schema<unknown> {
  return make({}, options)
}

/** Exactly one value (`const`). */
export function literal<const V extends string | number | boolean>(value: V, options: Options = {}): Schema<V> {
  return make({ const: value }, options)
}

/** One of a few values (`enum`). */
export function enumOf<const V extends readonly (string | number)[]>(values: V, options: Options = {}): Schema<V[number]> {
  return make({ enum: [...values] }, options)
}

export function array<S extends Schema>(items: S, options: Options = {}): Schema<Array<Static<S>>> {
  return make({ type: 'array', items }, options)
}

/** A fixed-length array (`prefixItems`, nothing after them). */
export function tuple<const S extends readonly Schema[]>(items: S, options: Options = {}): Schema<{ -readonly [K in keyof S]: Static<S[K]> }> {
  return make({ type: 'array', prefixItems: [...items], minItems: items.length, maxItems: items.length, items: false }, options)
}

export function anyOf<const S extends readonly Schema[]>(schemas: S, options: Options = {}): Schema<Static<S[number]>> {
  return make({ anyOf: [...schemas] }, options)
}

export function oneOf<const S extends readonly Schema[]>(schemas: S, options: Options = {}): Schema<Static<S[number]>> {
  return make({ oneOf: [...schemas] }, options)
}

export function allOf<const S extends readonly Schema[]>(schemas: S, options: Options = {}): Schema<UnionToIntersection<Static<S[number]>>> {
  return make({ allOf: [...schemas] }, options)
}

/** The value, or null (`anyOf: [schema, {type: null}]`). */
export function nullable<S extends Schema>(schema: S, options: Options = {}): Schema<Static<S> | null> {
  return make({ anyOf: [schema, nullType()] }, options)
}

/** `if`/`then`/`else`: a value matches `then` or `else`, `test` says which. */
export function ifThenElse<T extends Schema, E extends Schema>(test: JsonObject, then: T, otherwise: E, options: Options = {}): Schema<Static<T> | Static<E>> {
  return make({ if: test, then, else: otherwise }, options)
}

/**
 * `allOf: [base, extra]` where `extra` only narrows what the type already says (a tuple slot's
 * `role`, say): the type stays the base's.
 */
export function refine<S extends Schema>(base: S, extra: JsonObject, options: Options = {}): Schema<Static<S>> {
  return make({ allOf: [base, extra] }, options)
}

/**
 * A schema deliberately looser than the type: readers accept values added later (a new event kind)
 * while code gets the exact type of what this version knows (`known`, never written to the JSON).
 */
export function loose<K extends Schema>(_known: K, schema: Schema): Schema<Static<K>> {
  return schema as Schema<Static<K>>
}

/** An object property that may be absent (left out of `required`, `?:` in the type). */
export function optional<S extends Schema>(schema: S): Optional<S> {
  return { ...schema, [OPTIONAL]: 'optional' } as Optional<S>
}

/**
 * A property added within v1: every writer of this version sets it (the type requires it), but an
 * older v1 report may lack it, so the schema does not require it.
 */
export function added<S extends Schema>(schema: S): Added<S> {
  return { ...schema, [OPTIONAL]: 'added' } as Added<S>
}

function isOptional(schema: Schema): boolean {
  return (schema as { [OPTIONAL]?: string })[OPTIONAL] !== undefined
}

/** An object with named properties; every property is required unless `optional` or `added`. */
export function object<const P extends Props>(properties: P, options: Options & { additionalProperties?: boolean } = {}): Schema<ObjectStatic<P>> {
  const required = Object.keys(properties).filter((key) => !isOptional(properties[key]!))
  const props = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, strip(value)]))
  const extra = options.additionalProperties !== undefined ? { additionalProperties: options.additionalProperties } : {}
  return make({ type: 'object', required, properties: props, ...extra }, options)
}

function strip(schema: Schema): JsonObject {
  const { [OPTIONAL]: _marker, ...rest } = schema as JsonObject & { [OPTIONAL]?: string }
  return rest
}

/** A named `$defs` entry: the value is the `$ref` to it, typed as the schema it points to. */
export function def<S extends Schema>(name: string, schema: S): Schema<Static<S>> {
  return { $ref: `#/$defs/${name}`, [DEF]: { name, schema } } as unknown as Schema<Static<S>>
}

/** `$defs` from the refs `def` returned, in the order given. */
export function defs(refs: readonly Schema[]): JsonObject {
  return Object.fromEntries(
    refs.map((ref) => {
      const entry = (ref as { [DEF]?: { name: string; schema: Schema } })[DEF]
      if (!entry) throw new Error(`not a $defs reference: ${JSON.stringify(ref)}`)
      return [entry.name, entry.schema]
    })
  )
}

/** The schema as JSON text: markers dropped, two-space indent, a final newline. */
export function toJsonText(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`
}
