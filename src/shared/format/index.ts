// Words for numbers, addresses, sides and events: one rule each, for the report, the CLI and the app.
export * from './units'
export * from './candidates'
export * from './sides'
export * from './events'
export * from './portMapping'
export * from './network'
export * from './measure'
