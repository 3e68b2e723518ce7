// /explore/sources/{key}: the source's text as a reader. Every cited span is a <mark> that lists, when focused or
// hovered, the records it supports with links into the graph; sentences no record cites are marked as such.
import { request } from './api';
import { h, pageHeader, withLang } from './dom';
import type { SourceReaderQuery as ReaderResult } from './gql/graphql';
import { apiLanguage, kindLabel, t, typeLabel } from './i18n';
import { SourceReaderQuery, SourcesQuery } from './operations';
import { codePoints, slice } from './text';

type Citation = NonNullable<ReaderResult['source']>['citations'][number];
type CitedRecord = Citation['record'];

const app = document.getElementById('app')!;
const key = decodeURIComponent(window.location.pathname.replace(/^\/explore\/sources\/?/, '').replace(/\/$/, ''));
const status = h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });

async function start(): Promise<void> {
  app.replaceChildren(pageHeader(t.readerTitle), h('main', { class: 'reader' }, status));
  if (!key) {
    await listSources();
    return;
  }
  const data = await request(SourceReaderQuery, { key, lang: apiLanguage });
  const source = data.source;
  if (!source) {
    status.textContent = t.notFound(key);
    return;
  }
  document.title = `${source.title} · ${t.readerTitle}`;
  const records = h('div', { id: 'records', class: 'records', 'aria-live': 'polite' }, h('p', {}, t.hoverHint));
  const text = renderText(source.text, source.citations, source.uncitedPassages, records);
  app.querySelector('main')!.replaceChildren(
    h('h2', {}, h('cite', {}, source.title)),
    h('p', { class: 'meta' }, `${t.published} ${source.publishedOn}`, source.url ? [' · ', h('a', { href: source.url }, source.url)] : null),
    h('p', {}, t.cited, ' ', h('span', { class: 'uncited sample' }, t.uncitedLegend), '.'),
    h('div', { class: 'reader-layout' },
      h('article', { class: 'source-text', lang: source.language.toLowerCase() }, text),
      h('aside', { class: 'details', 'aria-labelledby': 'records-title' }, h('h2', { id: 'records-title' }, t.supports), records),
    ),
    status,
  );
  const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (target) {
    target.scrollIntoView({ block: 'center' });
    target.focus();
  }
}

async function listSources(): Promise<void> {
  const data = await request(SourcesQuery, { lang: apiLanguage });
  app.querySelector('main')!.replaceChildren(
    h('h2', {}, t.sources),
    h('ul', {}, data.sources.map((s) => h('li', {}, h('a', { href: withLang(`/explore/sources/${encodeURIComponent(s.key)}`) }, s.title)))),
  );
}

/** The text cut at every citation and uncited-passage boundary; each piece knows which citations cover it. */
function renderText(
  text: string,
  citations: readonly Citation[],
  uncited: readonly { start: number; end: number }[],
  records: HTMLElement,
): HTMLElement[] {
  const points = codePoints(text);
  const cuts = new Set<number>([0, points.length]);
  for (const c of [...citations, ...uncited]) {
    cuts.add(c.start);
    cuts.add(c.end);
  }
  for (let i = 0; i < points.length; i++) {
    if (points[i] === '\n') cuts.add(i).add(i + 1);
  }
  const bounds = [...cuts].filter((n) => n >= 0 && n <= points.length).sort((a, b) => a - b);

  const paragraphs: HTMLElement[] = [];
  let paragraph = h('p', {});
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const piece = slice(points, start, end);
    if (piece === '\n') {
      if (paragraph.childNodes.length > 0) paragraphs.push(paragraph);
      paragraph = h('p', {});
      continue;
    }
    const covering = citations.filter((c) => c.start <= start && end <= c.end);
    if (covering.length > 0) {
      const id = `span-${start}-${end}`;
      const mark = h('mark', { id, tabindex: 0, 'data-start': start, 'data-end': end, 'data-records': covering.map((c) => recordKey(c.record)).join(' '), 'aria-describedby': 'records-title' }, piece);
      // A citation's own id, so the explorer can link to #span-<start>-<end> of the whole excerpt.
      const whole = covering.find((c) => c.start === start);
      if (whole && !document.getElementById(`span-${whole.start}-${whole.end}`) && whole.end !== end) mark.id = `span-${whole.start}-${whole.end}`;
      const show = () => showRecords(records, covering, mark);
      mark.addEventListener('mouseenter', show);
      mark.addEventListener('focus', show);
      paragraph.append(mark);
    } else if (uncited.some((u) => u.start <= start && end <= u.end)) {
      paragraph.append(h('span', { class: 'uncited', 'data-start': start, 'data-end': end }, piece, h('span', { class: 'visually-hidden' }, ` (${t.uncited})`)));
    } else {
      paragraph.append(piece);
    }
  }
  if (paragraph.childNodes.length > 0) paragraphs.push(paragraph);
  return paragraphs;
}

function recordKey(record: CitedRecord): string {
  return 'key' in record ? `${record.__typename}:${record.key}` : record.id;
}

function showRecords(records: HTMLElement, covering: readonly Citation[], mark: HTMLElement): void {
  for (const other of document.querySelectorAll('mark.active')) other.classList.remove('active');
  mark.classList.add('active');
  const seen = new Set<string>();
  const items = covering.filter((c) => !seen.has(recordKey(c.record)) && seen.add(recordKey(c.record))).map((c) => h('li', { 'data-record': recordKey(c.record) }, recordLink(c.record)));
  records.replaceChildren(h('ul', { class: 'record-list' }, items));
}

function explore(entityKey: string, edge?: string): string {
  return withLang(`/explore?key=${encodeURIComponent(entityKey)}${edge ? `&edge=${encodeURIComponent(edge)}` : ''}`);
}

function recordLink(record: CitedRecord): (HTMLElement | string)[] {
  switch (record.__typename) {
    case 'Relationship':
      return [
        h('a', { href: explore(record.from.key, record.key), 'data-edge': record.key }, `${record.from.name} → ${typeLabel(record.type)} → ${record.to.name}`),
        ` (${t.relationship.toLowerCase()}: `, h('a', { href: explore(record.from.key) }, record.from.name), ', ', h('a', { href: explore(record.to.key) }, record.to.name), ')',
      ];
    case 'Observation':
      return [`${t.figure}: `, h('a', { href: explore(record.subject.key) }, record.subject.name), ` · ${record.metric} = ${record.value} ${record.unit}`];
    case 'Quote':
      return [`${t.quote}: `, h('a', { href: explore(record.speaker.key) }, record.speaker.name), ` · « ${record.text.slice(0, 80)}${record.text.length > 80 ? '…' : ''} »`];
    default:
      return 'kind' in record
        ? [`${kindLabel(record.kind)}: `, h('a', { href: explore(record.key) }, record.name)]
        : [record.id];
  }
}

start().catch((error: unknown) => {
  status.textContent = error instanceof Error ? error.message : String(error);
});
