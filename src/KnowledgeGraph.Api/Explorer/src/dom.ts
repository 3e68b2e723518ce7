// Small DOM helpers shared by both pages: elements built from data (never from HTML strings), the page header with
// its language switch, and a citation shown as its source's sentence with the excerpt marked.
import { request } from './api';
import type { CitationPartsFragment } from './gql/graphql';
import { lang, languageLink, t } from './i18n';
import { SourceTextQuery } from './operations';
import { codePoints, sentenceAround, slice } from './text';

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** The header both pages share: title, links between them and to the IDE, the EN/FR switch. */
export function pageHeader(title: string): HTMLElement {
  return h('header', { class: 'page-header' },
    h('h1', {}, title),
    h('nav', { 'aria-label': 'KnowledgeGraph' },
      h('ul', {},
        h('li', {}, h('a', { href: withLang('/explore') }, t.explorerTitle)),
        h('li', {}, h('a', { href: withLang('/explore/sources') }, t.sources)),
        h('li', {}, h('a', { href: '/graphql' }, t.ide)),
        h('li', { class: 'language-switch' },
          h('span', { id: 'language-label', class: 'visually-hidden' }, t.language),
          h('a', { href: languageLink('en'), lang: 'en', hreflang: 'en', 'aria-current': lang === 'en' ? 'true' : undefined, 'data-lang': 'en' }, 'EN'),
          ' · ',
          h('a', { href: languageLink('fr'), lang: 'fr', hreflang: 'fr', 'aria-current': lang === 'fr' ? 'true' : undefined, 'data-lang': 'fr' }, 'FR'),
        ),
      ),
    ),
  );
}

/** A link within the explorer that keeps the page's language. */
export function withLang(path: string): string {
  const url = new URL(path, window.location.origin);
  url.searchParams.set('lang', lang);
  return url.pathname + url.search + url.hash;
}

const sourceTexts = new Map<string, Promise<string[]>>();

function sourceText(key: string): Promise<string[]> {
  let text = sourceTexts.get(key);
  if (!text) {
    text = request(SourceTextQuery, { key }).then((data) => codePoints(data.source?.text ?? ''));
    sourceTexts.set(key, text);
  }
  return text;
}

/** A citation as the sentence it stands in, the excerpt in <mark>, with the source's title and a link into the reader. */
export async function citationBlock(citation: CitationPartsFragment): Promise<HTMLElement> {
  const points = await sourceText(citation.source.key);
  const sentence = sentenceAround(points, citation.start, citation.end);
  const readerLink = withLang(`/explore/sources/${encodeURIComponent(citation.source.key)}`) + `#span-${citation.start}-${citation.end}`;
  return h('figure', { class: 'citation' },
    h('blockquote', { lang: 'fr', cite: readerLink },
      slice(points, sentence.start, citation.start),
      h('mark', {}, slice(points, citation.start, citation.end)),
      slice(points, citation.end, sentence.end),
    ),
    h('figcaption', {},
      `${t.inSource} `,
      h('cite', {}, citation.source.title),
      ` (${citation.start}–${citation.end}) · `,
      h('a', { href: readerLink }, t.openInReader),
    ),
  );
}

export async function citationList(citations: readonly CitationPartsFragment[]): Promise<HTMLElement> {
  if (citations.length === 0) return h('p', {}, t.noCitations);
  const blocks = await Promise.all(citations.map(citationBlock));
  return h('ul', { class: 'citations' }, blocks.map((block) => h('li', {}, block)));
}

/**
 * Where a fact's basis (stated, reported by whom, inferred and why) will be shown. The schema does not carry a basis
 * yet; when it does, add it to the CitationParts fragment (operations.ts) and render it here.
 */
export function basisBlock(basis: { kind: string; by?: string | null; reason?: string | null } | undefined): Node {
  if (!basis) return document.createDocumentFragment();
  return h('p', { class: 'basis' }, h('strong', {}, `${t.basis}: `), [basis.kind, basis.by, basis.reason].filter(Boolean).join(' — '));
}

export function announce(region: HTMLElement, message: string): void {
  region.textContent = message;
}
