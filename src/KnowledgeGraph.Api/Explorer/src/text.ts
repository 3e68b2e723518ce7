// Citation offsets count Unicode code points; JavaScript strings count UTF-16 units. Everything here works on the
// code points of a text, so an offset from the API always lands where the API meant.

export function codePoints(text: string): string[] {
  return Array.from(text);
}

export function slice(points: readonly string[], start: number, end: number): string {
  return points.slice(start, end).join('');
}

const stops = new Set(['.', '!', '?', '…']);
const closers = new Set(['"', "'", ')', ']', '»', '”', '’', '.']);

/** The sentence around [start, end): from after the previous sentence's end to the next one's, on one line. */
export function sentenceAround(points: readonly string[], start: number, end: number): { start: number; end: number } {
  let from = start;
  while (from > 0 && !endsSentenceBefore(points, from)) {
    from--;
  }
  while (from < start && /\s/u.test(points[from])) {
    from++;
  }

  let to = end;
  while (to < points.length && !endsSentenceBefore(points, to)) {
    to++;
  }
  while (to > end && /\s/u.test(points[to - 1])) {
    to--;
  }

  return { start: from, end: to };
}

// Whether a sentence ends just before index i: a line break there, or a full stop (with closing quotes) before white space.
function endsSentenceBefore(points: readonly string[], i: number): boolean {
  if (points[i] === '\n' || points[i - 1] === '\n') {
    return true;
  }
  if (!/\s/u.test(points[i] ?? '')) {
    return false;
  }
  let j = i - 1;
  while (j >= 0 && closers.has(points[j]) && !stops.has(points[j])) {
    j--;
  }
  return j >= 0 && stops.has(points[j]);
}
