// Bundles the explorer's two pages (explorer.ts, reader.ts) and their stylesheet into dist/, minified, and writes a
// gzip and a Brotli copy of each beside it, which the API serves to browsers that accept them
// (ExplorerEndpoints.cs). Run by the Api project's build after codegen and the type check (Explorer.targets).
import { build } from 'esbuild';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const out = 'dist';
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: ['src/explorer.ts', 'src/reader.ts', 'src/explorer.css'],
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  splitting: true,
  chunkNames: 'chunk-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
});

for (const name of await readdir(out)) {
  const file = path.join(out, name);
  const bytes = await readFile(file);
  await writeFile(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  await writeFile(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
