import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { hashTokens, requireOpsToken } from './ops-auth.js';

export const BOARD_PATH = '/admin/queues';

/** bull-board at /admin/queues, only for the ops role; without configured tokens every request gets 401. */
export function registerBoard(app: FastifyInstance, queue: Queue, tokens: string[]): void {
  const digests = hashTokens(tokens);
  const adapter = new FastifyAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter: adapter });
  app.register(async (scope) => {
    scope.addHook('onRequest', requireOpsToken(digests));
    await scope.register(adapter.registerPlugin(), { prefix: BOARD_PATH });
  });
}
