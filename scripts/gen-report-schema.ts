// Writes src/shared/report.schema.json from its one definition, src/shared/reportSchema/.
// Run with `npm run schema` after changing the report's shape; test/shared/reportSchema.test.ts
// fails while the committed file and the definition differ.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { reportJsonSchemaText } from '../src/shared/reportSchema/document'

const target = fileURLToPath(new URL('../src/shared/report.schema.json', import.meta.url))
writeFileSync(target, reportJsonSchemaText())
console.log(`wrote ${target}`)
