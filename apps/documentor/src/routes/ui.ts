import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// src/ and dist/ both sit next to ui/, so the same relative path works from tests and from the build.
const UI_DIR = join(import.meta.dirname, '..', '..', 'ui');
const FILES: Record<string, string> = {
  '/': 'index.html',
  '/ui/app.js': 'app.js',
  '/ui/app.css': 'app.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** The analysts' web UI: one HTML page and a small vanilla script that talks to this API. */
export function registerUiRoutes(app: FastifyInstance): void {
  for (const [path, file] of Object.entries(FILES)) {
    const body = readFileSync(join(UI_DIR, file), 'utf8');
    const type = TYPES[file.split('.').pop()!]!;
    app.get(path, { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
        )
        .send(body),
    );
  }
}
