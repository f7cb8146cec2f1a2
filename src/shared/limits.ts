// Limits the CLI, the desktop app (main process and settings screen) and the engine must agree on.
// Each is written once here; the places that enforce or mention one import it.

/** UDP ports tested outside WebRTC in one session (`--port-test`, the app's settings). */
export const MAX_PORT_TESTS = 8

/** The highest UDP/TCP port number. */
export const MAX_PORT = 65535

/** The most megabytes the throughput measurement may send each way per path (`--throughput-mb`, the app's settings). */
export const MAX_THROUGHPUT_MB = 1024

/** A URL the user types (signaling server, public URL, last host); longer is a mistake or an attack. */
export const MAX_URL_CHARS = 2048

/** A whole IPC call, serialised. Manual blobs are the largest legitimate payload (a few KiB). */
export const MAX_MESSAGE_BYTES = 256 * 1024
