// Moved to src/shared/diagnosis/verdict.ts. Kept as a re-export only for the importers another
// branch of issue 11 owns (src/joinpage/session.ts); point them at ./diagnosis/verdict and delete this.
export { decideVerdict, type VerdictInput } from './diagnosis/verdict'
