// The peer's floor: bare node:http answering each POST with the bytes the API answered the same request body with
// (files <sha256 of the body>.json in the recorded folder, as CeilingServer.cs serves them for Kestrel). No GraphQL,
// no database: what HTTP and the loopback cost Node alone.
//
//   node floor.js --recorded <folder> --port <port>
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []))
if (!args.recorded || !args.port) {
  console.error('usage: node floor.js --recorded <folder> --port <port>')
  process.exit(2)
}

const answers = new Map(readdirSync(args.recorded).filter(f => f.endsWith('.json'))
  .map(f => [f.slice(0, -'.json'.length), readFileSync(join(args.recorded, f))]))

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/ready') {
    response.end('ready')
    return
  }
  const chunks = []
  request.on('data', chunk => chunks.push(chunk))
  request.on('end', () => {
    const body = answers.get(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'))
    if (!body) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'Content-Type': 'application/graphql-response+json; charset=utf-8', 'Content-Length': body.length })
    response.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(Number(args.port), '127.0.0.1')

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)))
}
