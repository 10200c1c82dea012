'use strict'
// The README's JavaScript examples run as written.
const test = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

test('the README examples run', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
  assert.ok(blocks.length > 0)
  for (const [i, block] of blocks.entries()) {
    const file = path.join(__dirname, '..', `.readme-${i}.mjs`)
    fs.writeFileSync(file, block)
    try {
      execFileSync(process.execPath, [file], { stdio: 'pipe' })
    } finally {
      fs.rmSync(file)
    }
  }
})
