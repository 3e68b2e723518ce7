// The side-by-side benchmark's peer: what a user would pick instead of our API. mercurius (Fastify, with graphql-jit)
// serving the API's own SDL (schema/schema.graphql) over the SQLite file the API created, read with better-sqlite3
// through per-request DataLoaders. Only the fields the benchmark's queries use have resolvers; they answer with the
// same shapes, order and rules as the API (checked by the driver before it measures anything).
//
//   node server.js --db <knowledge-graph.db> --port <port>
//
// Listens on 127.0.0.1 only. GET /ready answers once the schema is built.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import DataLoader from 'dataloader'
import Fastify from 'fastify'
import mercurius from 'mercurius'

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []))
if (!args.db || !args.port) {
  console.error('usage: node server.js --db <knowledge-graph.db> --port <port>')
  process.exit(2)
}

const schema = readFileSync(fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url)), 'utf8')

// Read-only: the API owns the file (it created and seeded it). Statements are prepared once, as better-sqlite3 is
// meant to be used; the texts are the API's own (src/KnowledgeGraph.Store.Sqlite/SqliteSql.cs).
const db = new Database(args.db, { readonly: true, fileMustExist: true })
const entityColumns = 'key, kind, name_en, name_fr, description_en, description_fr, aliases, citations'
const relationshipColumns = 'key, type, from_key, to_key, properties, citations'
const sql = {
  entitiesByKeys: db.prepare(`SELECT ${entityColumns} FROM entities WHERE key IN (SELECT value FROM json_each($keys))`),
  relationshipsFrom: db.prepare(`SELECT ${relationshipColumns} FROM relationships
    WHERE from_key IN (SELECT value FROM json_each($keys)) AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))`),
  relationshipsTo: db.prepare(`SELECT ${relationshipColumns} FROM relationships
    WHERE to_key IN (SELECT value FROM json_each($keys)) AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))`),
  relationshipsByKeys: db.prepare(`SELECT ${relationshipColumns} FROM relationships WHERE key IN (SELECT value FROM json_each($keys))`),
  search: db.prepare(`SELECT ${entityColumns}, score FROM (
      SELECT rowid AS hit_id, -bm25(entity_search, 10.0, 6.0, 1.0) AS score
      FROM entity_search WHERE entity_search MATCH $match
    ) AS hits
    JOIN entities ON entities.id = hits.hit_id
    WHERE ($kinds IS NULL OR kind IN (SELECT value FROM json_each($kinds)))
    ORDER BY score DESC, key
    LIMIT $limit`),
  neighbourhoodLinks: db.prepare(`SELECT key, from_key, to_key FROM relationships
    WHERE from_key IN (SELECT value FROM json_each($keys)) AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))
    UNION ALL
    SELECT key, from_key, to_key FROM relationships
    WHERE to_key IN (SELECT value FROM json_each($keys)) AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))`),
}

const maxPageSize = 100
const maxSearchResults = 50
const maxPathHops = 6
const exactMatchBonus = 100
const maxSearchWords = 16
const pathLimit = 10

const byKey = (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
const ordinal = (a, b) => (a < b ? -1 : a > b ? 1 : 0)

// Rows stay rows: JSON columns (aliases, citations) are parsed only by the fields that return them.
function loaders () {
  const entities = new DataLoader(keys => {
    const found = new Map(sql.entitiesByKeys.all({ keys: JSON.stringify(keys) }).map(row => [row.key, row]))
    return Promise.resolve(keys.map(key => found.get(key) ?? null))
  })
  const relationshipsOf = new Map()
  return {
    entities,
    relationshipsOf (direction, types) {
      const typesJson = types && types.length > 0 ? JSON.stringify([...new Set(types)].sort()) : null
      const id = `${direction}|${typesJson}`
      let loader = relationshipsOf.get(id)
      if (!loader) {
        loader = new DataLoader(keys => {
          const keysJson = JSON.stringify(keys)
          const found = new Map(keys.map(key => [key, new Map()]))
          if (direction !== 'INCOMING') {
            for (const row of sql.relationshipsFrom.all({ keys: keysJson, types: typesJson })) found.get(row.from_key)?.set(row.key, row)
          }
          if (direction !== 'OUTGOING') {
            for (const row of sql.relationshipsTo.all({ keys: keysJson, types: typesJson })) found.get(row.to_key)?.set(row.key, row)
          }
          return Promise.resolve(keys.map(key => [...found.get(key).values()].sort(byKey)))
        })
        relationshipsOf.set(id, loader)
      }
      return loader
    },
  }
}

class GraphError extends mercurius.ErrorWithProps {
  constructor (message, code) { super(message, { code }) }
}

const typeOfKind = { APP: 'App', COMPANY: 'Company', CONTROVERSY: 'Controversy', ENDORSEMENT: 'Endorsement', PERSON: 'Person', PLATFORM: 'Platform', REGION: 'Region' }

function language (args, context) { return args.lang ?? context.language }

function nameOf (row, lang) { return lang === 'FR' ? row.name_fr : row.name_en }

const cursorOf = key => Buffer.from(`k:${key}`, 'utf8').toString('base64url')
const keyOfCursor = cursor => {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!text.startsWith('k:')) throw new GraphError(`'${cursor}' is not a cursor this API issued.`, 'BAD_USER_INPUT')
  return text.slice(2)
}

function pageSize (args, name) {
  const value = args[name]
  if (value === undefined || value === null) return null
  if (value < 0) throw new GraphError(`'${name}' must not be negative.`, 'BAD_USER_INPUT')
  return Math.min(value, maxPageSize)
}

// The API's RelationshipConnection.Page: a window of a key-ordered list.
function page (all, first, after, last, before) {
  if (first !== null && last !== null) throw new GraphError("Use either 'first' (with 'after') or 'last' (with 'before'), not both.", 'BAD_USER_INPUT')
  let start = 0
  let end = all.length
  if (after != null) { const key = keyOfCursor(after); start = all.filter(r => r.key <= key).length }
  if (before != null) { const key = keyOfCursor(before); end = Math.max(start, all.filter(r => r.key < key).length) }
  let window = all.slice(start, end)
  let hasPreviousPage = start > 0
  let hasNextPage = end < all.length
  if (first !== null && window.length > first) { window = window.slice(0, first); hasNextPage = true }
  if (last !== null && window.length > last) { window = window.slice(window.length - last); hasPreviousPage = true }
  return { edges: window, hasPreviousPage, hasNextPage, totalCount: all.length }
}

const entityFields = {
  key: row => row.key,
  kind: row => row.kind,
  name: (row, args, context) => nameOf(row, language(args, context)),
  description: (row, args, context) => (language(args, context) === 'FR' ? row.description_fr : row.description_en),
  aliases: row => JSON.parse(row.aliases),
  citations: row => JSON.parse(row.citations),
  relationships: async (row, args, context) => {
    let first = pageSize(args, 'first')
    let last = pageSize(args, 'last')
    if (first === null && last === null) {
      if (args.before == null) first = maxPageSize
      else last = maxPageSize
    }
    const all = await context.loaders.relationshipsOf(args.direction ?? 'BOTH', args.types).load(row.key)
    return page(all, first, args.after, last, args.before)
  },
}

// The API's Fold (SearchTerms.Fold): lower case, runs of anything but letters and digits as one space, non-spacing
// marks dropped, and each precomposed Latin letter from U+00C0 to U+024F whose canonical decomposition starts with an
// ASCII letter replaced by that letter ("Télégramme" folds to "telegramme").
function fold (text) {
  let out = ''
  let space = false
  for (const original of text) {
    if (/\p{Mn}/u.test(original)) continue
    const code = original.codePointAt(0)
    const base = code >= 0xC0 && code < 0x250 ? original.normalize('NFD')[0] : original
    const c = /^[A-Za-z]$/.test(base) ? base : original
    if (/[\p{L}\p{Nd}]/u.test(c)) {
      if (space && out.length > 0) out += ' '
      out += c.toLowerCase()
      space = false
    } else {
      space = true
    }
  }
  return out
}

// Every word must match, the last as a prefix; each word quoted so FTS syntax in the input is inert.
function matchExpression (text) {
  const words = text.split(/[^\p{L}\p{Nd}]+/u).filter(w => w.length > 0).slice(0, maxSearchWords)
  if (words.length === 0) return null
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' AND ')
}

function search (text, kinds, first) {
  const match = matchExpression(text)
  if (match === null || first <= 0) return []
  const typed = fold(text)
  const rows = sql.search.all({ match, kinds: kinds && kinds.length > 0 ? JSON.stringify(kinds) : null, limit: first + 20 })
  return rows.map(row => {
    const exact = fold(row.name_en) === typed || fold(row.name_fr) === typed || fold(row.key) === typed ||
      JSON.parse(row.aliases).some(a => fold(a.text) === typed)
    return { entity: row, score: Math.round((row.score + (exact ? exactMatchBonus : 0)) * 1e6) / 1e6 }
  }).sort((a, b) => b.score - a.score || ordinal(a.entity.key, b.entity.key)).slice(0, first)
}

// Shortest paths by bidirectional breadth-first search, the API's algorithm (SqliteGraphStore.Paths.cs): expand the
// smaller frontier by one batched hop until the sides meet, then unwind every shortest path from the end, in
// relationship key order, up to the limit, and read only the relationships on the paths found.
function shortestPaths (from, to, maxHops, types) {
  if (maxHops <= 0 || from === to) return []
  const typesJson = types && types.length > 0 ? JSON.stringify(types) : null
  const side = origin => ({ depth: new Map([[origin, 0]]), links: new Map(), frontier: [origin], level: 0 })
  const start = side(from)
  const end = side(to)
  const reach = (s, at, relationship, next, hop, frontier) => {
    const seenAt = s.depth.get(next)
    if (seenAt === undefined) { s.depth.set(next, hop); frontier.push(next) } else if (seenAt !== hop) return
    let steps = s.links.get(next)
    if (!steps) s.links.set(next, steps = [])
    steps.push({ from: at, relationship, to: next })
  }
  let meeting = []
  while (start.level + end.level < maxHops && start.frontier.length > 0 && end.frontier.length > 0) {
    const [s, other] = end.frontier.length < start.frontier.length ? [end, start] : [start, end]
    const hop = s.level + 1
    const inFrontier = new Set(s.frontier)
    const next = []
    for (const row of sql.neighbourhoodLinks.all({ keys: JSON.stringify(s.frontier), types: typesJson })) {
      if (inFrontier.has(row.from_key)) reach(s, row.from_key, row.key, row.to_key, hop, next)
      if (inFrontier.has(row.to_key)) reach(s, row.to_key, row.key, row.from_key, hop, next)
    }
    s.level = hop
    s.frontier = next
    meeting = next.filter(n => other.depth.has(n))
    if (meeting.length > 0) break
  }
  if (meeting.length === 0) return []

  const parents = new Map()
  const onPath = new Set(meeting)
  const toVisit = [...meeting]
  while (toVisit.length > 0) {
    const node = toVisit.shift()
    for (const link of end.links.get(node) ?? []) {
      let steps = parents.get(link.from)
      if (!steps) parents.set(link.from, steps = [])
      steps.push({ from: node, relationship: link.relationship, to: link.from })
      if (!onPath.has(link.from)) { onPath.add(link.from); toVisit.push(link.from) }
    }
  }
  for (const [node, links] of start.links) parents.set(node, links)

  const found = []
  const unwind = (at, suffix) => {
    if (found.length >= pathLimit) return
    if (at === from) { found.push([...suffix].reverse()); return }
    for (const step of [...(parents.get(at) ?? [])].sort((a, b) => ordinal(a.relationship, b.relationship))) {
      suffix.push(step)
      unwind(step.from, suffix)
      suffix.pop()
    }
  }
  unwind(to, [])

  const keys = [...new Set(found.flat().map(l => l.relationship))]
  const relationships = new Map(sql.relationshipsByKeys.all({ keys: JSON.stringify(keys) }).map(row => [row.key, row]))
  return found
    .map(p => ({ steps: p.map(l => ({ from: l.from, relationship: relationships.get(l.relationship), to: l.to })) }))
    .map(p => ({ ...p, order: p.steps.map(s => s.relationship.key).join('|') }))
    .sort((a, b) => ordinal(a.order, b.order))
}

const resolvers = {
  Query: {
    entity: (_, { key }, context) => context.loaders.entities.load(key),
    search: (_, { text, kinds, first }) => {
      if (first < 1 || first > maxSearchResults) throw new GraphError(`'first' must be between 1 and ${maxSearchResults}.`, 'BAD_USER_INPUT')
      if (text.trim().length === 0 || text.length > 200) throw new GraphError("'text' must hold between 1 and 200 characters.", 'BAD_USER_INPUT')
      return search(text, kinds, first)
    },
    path: async (_, { from, to, maxHops, types }, context) => {
      if (maxHops < 1 || maxHops > maxPathHops) throw new GraphError(`'maxHops' must be between 1 and ${maxPathHops}.`, 'BAD_USER_INPUT')
      const ends = await context.loaders.entities.loadMany([from, to])
      for (const [i, key] of [from, to].entries()) {
        if (!ends[i]) throw new GraphError(`No entity has the key '${key}'.`, 'NOT_FOUND')
      }
      return shortestPaths(from, to, maxHops, types)
    },
  },
  Entity: { resolveType: row => typeOfKind[row.kind] },
  Node: { resolveType: row => typeOfKind[row.kind] },
  ...Object.fromEntries(Object.values(typeOfKind).map(type => [type, entityFields])),
  RelationshipConnection: {
    edges: connection => connection.edges,
    nodes: connection => connection.edges,
    totalCount: connection => connection.totalCount,
  },
  // An edge is the relationship row itself.
  RelationshipEdge: { cursor: row => cursorOf(row.key), node: row => row },
  Relationship: {
    key: row => row.key,
    type: row => row.type,
    from: (row, _, context) => context.loaders.entities.load(row.from_key),
    to: (row, _, context) => context.loaders.entities.load(row.to_key),
    citations: row => JSON.parse(row.citations),
  },
  Path: { length: path => path.steps.length },
  PathStep: {
    from: (step, _, context) => context.loaders.entities.load(step.from),
    to: (step, _, context) => context.loaders.entities.load(step.to),
    forward: step => step.relationship.from_key === step.from,
  },
}

// The API's rule: the first supported language of Accept-Language, else English.
function languageOf (header) {
  if (!header) return 'EN'
  let best = 'EN'
  let bestQuality = -1
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().split(';')
    const q = params.map(p => p.trim()).find(p => p.startsWith('q='))
    const quality = q ? Number(q.slice(2)) : 1
    const primary = tag.trim().toLowerCase().split('-')[0]
    if ((primary === 'en' || primary === 'fr') && quality > bestQuality) { best = primary.toUpperCase(); bestQuality = quality }
  }
  return best
}

const app = Fastify({ logger: false })
app.register(mercurius, {
  schema,
  resolvers,
  jit: 1,
  context: request => ({ loaders: loaders(), language: languageOf(request.headers['accept-language']) }),
})
app.get('/ready', async () => 'ready')
await app.listen({ host: '127.0.0.1', port: Number(args.port) })

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => { app.close().finally(() => { db.close(); process.exit(0) }) })
}
