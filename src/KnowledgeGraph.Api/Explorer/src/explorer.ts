// /explore: an entity and its neighbourhood drawn with Cytoscape.js, expanded one hop at a time, with a details
// panel that shows every citation as its sentence, a "how are these connected" box, and the same graph as lists.
import cytoscape from 'cytoscape';
import type { Core, ElementDefinition, EventObject } from 'cytoscape';
import { request } from './api';
import { announce, basisBlock, citationList, h, pageHeader, withLang } from './dom';
import type { EntityKind, PathQuery as PathResult, RelationshipType } from './gql/graphql';
import { allKinds, apiLanguage, kindLabel, t, typeLabel } from './i18n';
import { looks, legendShape } from './graphStyle';
import { EntityDetailsQuery, NeighbourhoodQuery, PathQuery, RelationshipDetailsQuery, SearchQuery } from './operations';

interface Summary { key: string; kind: EntityKind; name: string }
interface GraphNode extends Summary { hop: number }
interface GraphEdge { key: string; type: RelationshipType; from: string; to: string }

const params = new URL(window.location.href).searchParams;
const nodes = new Map<string, GraphNode>();
const edges = new Map<string, GraphEdge>();
const expanded = new Set<string>();
const onPath = new Set<string>();
let depthLimit = clampDepth(Number(params.get('depth') ?? 2));
let cy: Core | undefined;

function clampDepth(depth: number): number {
  return Number.isInteger(depth) && depth >= 1 && depth <= 4 ? depth : 2;
}

// ---- the page's frame -------------------------------------------------------------------------------------------

const status = h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
const searchInput = h('input', { id: 'search-text', type: 'search', name: 'q', autocomplete: 'off', placeholder: t.searchPlaceholder });
const searchResults = h('ul', { id: 'search-results', class: 'search-results' });
const depthSelect = h('select', { id: 'depth' }, [1, 2, 3, 4].map((d) => h('option', { value: d, selected: d === depthLimit }, String(d))));
const fromInput = h('input', { id: 'path-from', type: 'text', autocomplete: 'off', value: params.get('from') ?? '' });
const toInput = h('input', { id: 'path-to', type: 'text', autocomplete: 'off', value: params.get('to') ?? params.get('key') ?? '' });
const pathResult = h('div', { id: 'path-result', class: 'path-result' });
const graphBox = h('div', { id: 'graph', class: 'graph', 'aria-hidden': 'true' });
const nodeList = h('ul', { id: 'node-list', class: 'element-list' });
const edgeList = h('ul', { id: 'edge-list', class: 'element-list' });
const detailsTitle = h('h2', { id: 'details-title' }, t.details);
const detailsBody = h('div', { id: 'details-body' }, h('p', {}, t.pickSomething));

const app = document.getElementById('app')!;
app.replaceChildren(
  pageHeader(t.explorerTitle),
  h('main', { class: 'explorer' },
    h('div', { class: 'tools' },
      h('form', { role: 'search', id: 'search-form', class: 'box' },
        h('label', { for: 'search-text' }, t.search),
        h('div', { class: 'row' }, searchInput, h('button', { type: 'submit' }, t.searchButton)),
        searchResults,
      ),
      h('form', { id: 'path-form', class: 'box', 'aria-labelledby': 'path-title' },
        h('h2', { id: 'path-title' }, t.connected),
        h('div', { class: 'row' },
          h('label', { for: 'path-from' }, t.from), fromInput,
          h('label', { for: 'path-to' }, t.to), toInput,
          h('button', { type: 'submit' }, t.findPath)),
      ),
      h('div', { class: 'box row' }, h('label', { for: 'depth' }, t.depth), depthSelect),
    ),
    status,
    h('div', { class: 'workspace' },
      h('div', { class: 'graph-area' },
        graphBox,
        legend(),
        h('div', { class: 'lists' },
          h('section', { 'aria-labelledby': 'nodes-title' }, h('h2', { id: 'nodes-title' }, t.nodes), nodeList),
          h('section', { 'aria-labelledby': 'edges-title' }, h('h2', { id: 'edges-title' }, t.edges), edgeList),
        ),
      ),
      h('div', { class: 'side' },
        h('section', { 'aria-labelledby': 'path-title', class: 'path-section' }, pathResult),
        h('aside', { id: 'details', class: 'details', 'aria-labelledby': 'details-title', tabindex: -1 }, detailsTitle, detailsBody)),
    ),
  ),
);

function legend(): HTMLElement {
  return h('section', { class: 'legend', 'aria-labelledby': 'legend-title' },
    h('h2', { id: 'legend-title' }, t.legend),
    h('ul', {}, allKinds.map((kind) => h('li', { 'data-kind': kind }, legendShape(kind), kindLabel(kind)))),
    h('p', {}, '→ ', t.arrowMeaning),
    h('p', {}, t.pathMeaning),
  );
}

// ---- the graph --------------------------------------------------------------------------------------------------

function addNeighbourhood(root: Summary, relationships: readonly { key: string; type: RelationshipType; from: Summary; to: Summary }[], hop: number): number {
  addNode(root, hop);
  for (const relationship of relationships) {
    addNode(relationship.from, hop + 1);
    addNode(relationship.to, hop + 1);
    edges.set(relationship.key, { key: relationship.key, type: relationship.type, from: relationship.from.key, to: relationship.to.key });
  }
  return relationships.length;
}

function addNode(entity: Summary, hop: number): void {
  const known = nodes.get(entity.key);
  if (!known) nodes.set(entity.key, { key: entity.key, kind: entity.kind, name: entity.name, hop });
  else if (hop < known.hop) known.hop = hop;
}

function elements(): ElementDefinition[] {
  return [
    ...[...nodes.values()].map((n) => ({
      group: 'nodes' as const,
      data: { id: n.key, name: n.name, kind: n.kind, hop: n.hop },
      classes: [expanded.has(n.key) ? 'expanded' : '', onPath.has(n.key) ? 'on-path' : ''].join(' ').trim(),
    })),
    ...[...edges.values()].map((e) => ({
      group: 'edges' as const,
      data: { id: `rel:${e.key}`, key: e.key, source: e.from, target: e.to, label: typeLabel(e.type) },
      classes: onPath.has(`rel:${e.key}`) ? 'on-path' : '',
    })),
  ];
}

const style: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(name)',
      'font-size': 12,
      // Labels too small to read at the current zoom are not drawn: a 100-node neighbourhood fitted in the box
      // draws its shapes and arrows, and the labels appear as one zooms in.
      'min-zoomed-font-size': 7,
      color: '#1b1b1b',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-outline-color': '#ffffff',
      'text-outline-width': 2,
      width: 26,
      height: 26,
      'border-width': 1,
      'border-color': '#ffffff',
    },
  },
  ...allKinds.map((kind) => ({
    selector: `node[kind = "${kind}"]`,
    style: { 'background-color': looks[kind].colour, shape: looks[kind].shape },
  })),
  { selector: 'node.expanded', style: { width: 34, height: 34 } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#111111' } },
  { selector: 'node.on-path', style: { 'border-width': 5, 'border-color': '#e8a200' } },
  {
    selector: 'edge',
    style: {
      label: 'data(label)',
      'font-size': 9,
      'min-zoomed-font-size': 7,
      color: '#333333',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
      width: 1.5,
      'line-color': '#8a8a8a',
      'target-arrow-color': '#8a8a8a',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
    },
  },
  { selector: 'edge:selected', style: { width: 3, 'line-color': '#111111', 'target-arrow-color': '#111111' } },
  { selector: 'edge.on-path', style: { width: 4, 'line-color': '#e8a200', 'target-arrow-color': '#e8a200' } },
];

function render(): void {
  const started = performance.now();
  const definitions = elements();
  if (!cy) {
    cy = cytoscape({ container: graphBox, elements: definitions, style, minZoom: 0.1, maxZoom: 3 });
    cy.on('tap', 'node', (event: EventObject) => void selectEntity(event.target.id()));
    cy.on('tap', 'edge', (event: EventObject) => void selectRelationship(event.target.data('key')));
  } else {
    cy.batch(() => {
      for (const definition of definitions) {
        const existing = cy!.getElementById(definition.data.id!);
        if (existing.nonempty()) {
          existing.data(definition.data);
          existing.classes(definition.classes as string);
        } else {
          cy!.add(definition);
        }
      }
    });
  }
  // A force-directed layout reads best while the labels fit; past that, rings by hop from the entity opened, which
  // cost a few milliseconds at any size.
  const layout = cy.layout(nodes.size <= 60
    ? { name: 'cose', animate: false, fit: true, padding: 30, randomize: false, idealEdgeLength: () => 110, nodeRepulsion: () => 90_000, nodeOverlap: 20, numIter: 1500 }
    : { name: 'concentric', concentric: (node) => 10 - Number(node.data('hop')), levelWidth: () => 1, minNodeSpacing: 40, animate: false, fit: true, padding: 24 });
  layout.one('layoutstop', () => {
    // A handful of nodes would otherwise be fitted at three times their size.
    if (cy!.zoom() > 1.2) {
      cy!.zoom(1.2);
      cy!.center();
    }
    // Read by the browser test and the render benchmark (tests/browser): two frames later, Cytoscape has drawn.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.explorerRendered = { nodes: nodes.size, edges: edges.size, milliseconds: performance.now() - started };
    }));
  });
  layout.run();
  renderLists();
}

function renderLists(): void {
  nodeList.replaceChildren(...[...nodes.values()]
    .sort((a, b) => a.hop - b.hop || a.name.localeCompare(b.name))
    .map((n) => h('li', { 'data-key': n.key, 'data-kind': n.kind, class: onPath.has(n.key) ? 'on-path' : undefined },
      h('button', { type: 'button', 'aria-describedby': 'details-title' }, legendShape(n.kind), `${n.name}`),
      h('span', { class: 'meta' }, ` ${kindLabel(n.kind)}`))));
  edgeList.replaceChildren(...[...edges.values()].map((e) => {
    const from = nodes.get(e.from)?.name ?? e.from;
    const to = nodes.get(e.to)?.name ?? e.to;
    return h('li', { 'data-key': e.key, 'data-from': e.from, 'data-to': e.to, class: onPath.has(`rel:${e.key}`) ? 'on-path' : undefined },
      h('button', { type: 'button' }, `${from} → ${typeLabel(e.type)} → ${to}`));
  }));
}

nodeList.addEventListener('click', (event) => {
  const item = (event.target as HTMLElement).closest('li');
  if (item?.dataset.key) void selectEntity(item.dataset.key);
});
edgeList.addEventListener('click', (event) => {
  const item = (event.target as HTMLElement).closest('li');
  if (item?.dataset.key) void selectRelationship(item.dataset.key);
});

async function expand(key: string): Promise<void> {
  const node = nodes.get(key);
  const hop = node?.hop ?? 0;
  if (expanded.has(key)) return;
  if (node && hop >= depthLimit) {
    announce(status, t.depthReached(node.name));
    return;
  }
  const data = await request(NeighbourhoodQuery, { key, lang: apiLanguage });
  if (!data.entity) {
    announce(status, t.notFound(key));
    return;
  }
  expanded.add(key);
  const count = addNeighbourhood(data.entity, data.entity.relationships.nodes, hop);
  render();
  announce(status, t.expanded(data.entity.name, count));
}

// ---- the details panel ------------------------------------------------------------------------------------------

let selection = 0;

async function selectEntity(key: string): Promise<void> {
  const ticket = ++selection;
  cy?.elements().unselect();
  cy?.getElementById(key).select();
  detailsBody.replaceChildren(h('p', {}, t.loading));
  const [data] = await Promise.all([request(EntityDetailsQuery, { key, lang: apiLanguage }), expand(key)]);
  if (ticket !== selection) return;
  const entity = data.entity;
  if (!entity) {
    detailsBody.replaceChildren(h('p', {}, t.notFound(key)));
    return;
  }
  detailsTitle.textContent = entity.name;
  detailsBody.replaceChildren(
    h('p', { class: 'kind' }, legendShape(entity.kind), kindLabel(entity.kind), ' · ', h('code', {}, entity.key)),
    h('dl', {},
      h('dt', {}, t.nameEn), h('dd', { lang: 'en', 'data-field': 'name-en' }, entity.nameEn),
      h('dt', {}, t.nameFr), h('dd', { lang: 'fr', 'data-field': 'name-fr' }, entity.nameFr),
      h('dt', {}, t.descriptionEn), h('dd', { lang: 'en' }, entity.descriptionEn),
      h('dt', {}, t.descriptionFr), h('dd', { lang: 'fr' }, entity.descriptionFr),
      entity.aliases.length > 0 && h('dt', {}, t.aliases),
      entity.aliases.length > 0 && h('dd', {}, entity.aliases.map((a) => a.text).join(', ')),
    ),
    h('h3', {}, t.citations),
    basisBlock(undefined),
    await citationList(entity.citations),
  );
  const url = new URL(window.location.href);
  url.searchParams.delete('edge');
  url.searchParams.set('select', key);
  history.replaceState(null, '', url);
}

async function selectRelationship(key: string): Promise<void> {
  const ticket = ++selection;
  cy?.elements().unselect();
  cy?.getElementById(`rel:${key}`).select();
  detailsBody.replaceChildren(h('p', {}, t.loading));
  const data = await request(RelationshipDetailsQuery, { key, lang: apiLanguage });
  if (ticket !== selection) return;
  const relationship = data.relationship;
  if (!relationship) {
    detailsBody.replaceChildren(h('p', {}, t.notFound(key)));
    return;
  }
  const name = (e: { nameEn: string; nameFr: string }) => (apiLanguage === 'FR' ? e.nameFr : e.nameEn);
  detailsTitle.textContent = `${name(relationship.from)} → ${typeLabel(relationship.type)} → ${name(relationship.to)}`;
  const url = new URL(window.location.href);
  url.searchParams.delete('select');
  url.searchParams.set('edge', key);
  history.replaceState(null, '', url);
  detailsBody.replaceChildren(
    h('p', { class: 'kind' }, t.relationship, ' · ', h('code', {}, relationship.type), ' · ', h('code', {}, relationship.key)),
    h('dl', {},
      h('dt', {}, t.from), h('dd', {}, h('span', { lang: 'en' }, relationship.from.nameEn), ' / ', h('span', { lang: 'fr' }, relationship.from.nameFr)),
      h('dt', {}, t.to), h('dd', {}, h('span', { lang: 'en' }, relationship.to.nameEn), ' / ', h('span', { lang: 'fr' }, relationship.to.nameFr)),
      relationship.role && [h('dt', {}, t.role), h('dd', {}, relationship.role)],
      relationship.chart && [h('dt', {}, t.chart), h('dd', {}, relationship.chart)],
      relationship.occurredOn && [h('dt', {}, t.occurredOn), h('dd', {}, relationship.occurredOn)],
      relationship.note && [h('dt', {}, t.note), h('dd', {}, relationship.note)],
    ),
    h('h3', {}, t.citations),
    basisBlock(undefined),
    await citationList(relationship.citations),
  );
}

// ---- search and paths -------------------------------------------------------------------------------------------

document.getElementById('search-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  void search(searchInput.value.trim());
});

async function search(text: string): Promise<void> {
  if (!text) return;
  const data = await request(SearchQuery, { text, lang: apiLanguage });
  searchResults.replaceChildren(...(data.search.length === 0
    ? [h('li', {}, t.noResults)]
    : data.search.map(({ entity }) => h('li', { 'data-key': entity.key },
      h('a', { href: withLang(`/explore?key=${encodeURIComponent(entity.key)}`) }, legendShape(entity.kind), entity.name),
      h('span', { class: 'meta' }, ` ${kindLabel(entity.kind)}`)))));
}

/** A key as typed, or the best search hit for a name ("Elon Musk", "telegramme"). */
async function resolveKey(text: string): Promise<string | undefined> {
  const data = await request(SearchQuery, { text, lang: apiLanguage });
  return data.search.find((hit) => hit.entity.key === text)?.entity.key ?? data.search[0]?.entity.key ?? undefined;
}

document.getElementById('path-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  void findPaths(fromInput.value.trim(), toInput.value.trim());
});

async function findPaths(fromText: string, toText: string): Promise<void> {
  if (!fromText || !toText) return;
  pathResult.replaceChildren(h('p', {}, t.loading));
  const [from, to] = await Promise.all([resolveKey(fromText), resolveKey(toText)]);
  if (!from || !to) {
    pathResult.replaceChildren(h('p', {}, t.unknownEntity(from ? toText : fromText)));
    return;
  }
  const data = await request(PathQuery, { from, to, lang: apiLanguage });
  if (data.path.length === 0) {
    pathResult.replaceChildren(h('p', {}, t.noPath));
    return;
  }
  onPath.clear();
  for (const path of data.path) {
    for (const step of path.steps) {
      addNode(step.from, nodes.get(step.from.key)?.hop ?? 1);
      addNode(step.to, nodes.get(step.to.key)?.hop ?? 1);
      edges.set(step.relationship.key, {
        key: step.relationship.key,
        type: step.relationship.type,
        from: step.forward ? step.from.key : step.to.key,
        to: step.forward ? step.to.key : step.from.key,
      });
      onPath.add(step.from.key).add(step.to.key).add(`rel:${step.relationship.key}`);
    }
  }
  render();
  pathResult.replaceChildren(
    h('p', {}, t.pathsFound(data.path.length, data.path[0].length)),
    ...(await Promise.all(data.path.map((path, index) => pathSteps(path, index)))),
  );
  announce(status, t.pathsFound(data.path.length, data.path[0].length));
}

async function pathSteps(path: PathResult['path'][number], index: number): Promise<HTMLElement> {
  const steps = await Promise.all(path.steps.map(async (step, i) => {
    const [subject, object] = step.forward ? [step.from, step.to] : [step.to, step.from];
    return h('li', { 'data-key': step.relationship.key, class: 'step' },
      h('p', {}, h('span', { class: 'visually-hidden' }, `${t.step} ${i + 1}: `), `${subject.name} → ${typeLabel(step.relationship.type)} → ${object.name}`),
      await citationList(step.relationship.citations));
  }));
  return h('ol', { class: 'path', 'data-path': index }, steps);
}

// ---- start ------------------------------------------------------------------------------------------------------

depthSelect.addEventListener('change', () => {
  depthLimit = clampDepth(Number(depthSelect.value));
  const url = new URL(window.location.href);
  url.searchParams.set('depth', String(depthLimit));
  history.replaceState(null, '', url);
});

declare global {
  interface Window { explorerRendered?: { nodes: number; edges: number; milliseconds: number }; explorer?: { cy: () => Core | undefined } }
}
window.explorer = { cy: () => cy };

async function start(): Promise<void> {
  const key = params.get('key');
  if (!key) {
    announce(status, t.expandHint);
    graphBox.hidden = true;
    searchInput.focus();
    return;
  }
  await expand(key);
  if (!nodes.has(key)) return;
  const edge = params.get('edge');
  if (edge) await selectRelationship(edge);
  else await selectEntity(params.get('select') ?? key);
  if (params.get('from') && params.get('to')) await findPaths(params.get('from')!, params.get('to')!);
}

start().catch((error: unknown) => announce(status, error instanceof Error ? error.message : String(error)));
