import { describe, expect, it } from 'vitest'
import { exposition } from '../../../src/core/metrics/exposition'

describe('Prometheus text exposition', () => {
  it('writes HELP, TYPE and samples with escaped labels', () => {
    const text = exposition([
      { name: 'x_total', help: 'Things.\nMore', type: 'counter', samples: [{ labels: { reason: 'a"b\\c' }, value: 3 }] },
      { name: 'y_bytes', help: 'Bytes.', type: 'gauge', samples: [{ value: NaN }] }
    ])
    expect(text).toBe('# HELP x_total Things.\\nMore\n# TYPE x_total counter\nx_total{reason="a\\"b\\\\c"} 3\n# HELP y_bytes Bytes.\n# TYPE y_bytes gauge\ny_bytes NaN\n')
  })

  it('refuses names Prometheus would not read', () => {
    expect(() => exposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(/bad metric name/)
    expect(() => exposition([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'v' }, value: 1 }] }])).toThrow(/bad label name/)
  })
})
