// Every operation the explorer sends, typed by codegen from schema/schema.graphql (see codegen.ts).
import { graphql } from './gql';

export const EntitySummaryFragment = graphql(`
  fragment EntitySummary on Entity {
    key
    kind
    name(lang: $lang)
  }
`);

export const CitationPartsFragment = graphql(`
  fragment CitationParts on Citation {
    excerpt
    start
    end
    source { key title(lang: $lang) }
  }
`);

export const NeighbourhoodQuery = graphql(`
  query Neighbourhood($key: String!, $lang: Language!) {
    entity(key: $key) {
      ...EntitySummary
      relationships(first: 100) {
        totalCount
        nodes {
          key
          type
          from { ...EntitySummary }
          to { ...EntitySummary }
        }
      }
    }
  }
`);

export const EntityDetailsQuery = graphql(`
  query EntityDetails($key: String!, $lang: Language!) {
    entity(key: $key) {
      ...EntitySummary
      nameEn: name(lang: EN)
      nameFr: name(lang: FR)
      descriptionEn: description(lang: EN)
      descriptionFr: description(lang: FR)
      aliases { text language }
      citations { ...CitationParts }
    }
  }
`);

export const RelationshipDetailsQuery = graphql(`
  query RelationshipDetails($key: String!, $lang: Language!) {
    relationship(key: $key) {
      key
      type
      from { key nameEn: name(lang: EN) nameFr: name(lang: FR) }
      to { key nameEn: name(lang: EN) nameFr: name(lang: FR) }
      role(lang: $lang)
      chart
      occurredOn
      note(lang: $lang)
      citations { ...CitationParts }
    }
  }
`);

export const SourceTextQuery = graphql(`
  query SourceText($key: String!) {
    source(key: $key) { key text }
  }
`);

export const SearchQuery = graphql(`
  query Search($text: String!, $lang: Language!) {
    search(text: $text, first: 8) {
      entity { ...EntitySummary }
    }
  }
`);

export const PathQuery = graphql(`
  query Path($from: String!, $to: String!, $lang: Language!) {
    path(from: $from, to: $to, maxHops: 4) {
      length
      steps {
        forward
        from { ...EntitySummary }
        to { ...EntitySummary }
        relationship { key type citations { ...CitationParts } }
      }
    }
  }
`);

export const SourceReaderQuery = graphql(`
  query SourceReader($key: String!, $lang: Language!) {
    source(key: $key) {
      key
      title(lang: $lang)
      language
      publishedOn
      url
      text
      citations {
        start
        end
        record {
          __typename
          id
          ... on Entity { key kind name(lang: $lang) }
          ... on Relationship { key type from { key name(lang: $lang) } to { key name(lang: $lang) } }
          ... on Observation { key metric value unit subject { key name(lang: $lang) } }
          ... on Quote { key text speaker { key name(lang: $lang) } }
        }
      }
      uncitedPassages { start end }
    }
  }
`);

export const SourcesQuery = graphql(`
  query Sources($lang: Language!) {
    sources { key title(lang: $lang) }
  }
`);
