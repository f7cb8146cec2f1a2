/** Group and member names: what a URL path segment and a metric label take without escaping. */
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
