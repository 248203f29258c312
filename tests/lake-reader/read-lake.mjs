// Reads every Parquet dataset of a gaugeNN lake with hyparquet (an independent, non-.NET Parquet reader; zstd through
// hyparquet-compressors) and prints {table: [rows]} as JSON on stdout. Hive partition values come from the path
// (percent-decoded); 64-bit integers are printed as exact decimal numbers, dates and timestamps as ISO text.
import { readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const root = process.argv[2]
const files = dir => readdirSync(dir).flatMap(name => {
  const path = join(dir, name)
  return statSync(path).isDirectory() ? files(path) : path.endsWith('.parquet') ? [path] : []
})

const tables = {}
for (const table of readdirSync(root).filter(n => statSync(join(root, n)).isDirectory()).sort()) {
  const rows = []
  for (const file of files(join(root, table)).sort()) {
    const partition = {}
    for (const part of relative(join(root, table), file).split(sep).slice(0, -1)) {
      const [key, value] = part.split('=')
      partition[key] = value === '__HIVE_DEFAULT_PARTITION__' ? null : decodeURIComponent(value)
    }
    for (const row of await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors })) rows.push({ ...row, ...partition })
  }
  tables[table] = rows
}

const text = JSON.stringify(tables, (_, value) =>
  typeof value === 'bigint' ? `@bigint:${value}` : value instanceof Date ? value.toISOString() : value)
process.stdout.write(text.replace(/"@bigint:(-?\d+)"/g, '$1'))
