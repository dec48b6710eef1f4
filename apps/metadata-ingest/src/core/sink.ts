import type { KeyValueStore } from '@labeldocs/kv-store';
import type { TrackedLabelState } from './state.js';

/**
 * Where tracked-label state lives: a kv-store over the tracked-labels topic in production. Only the calls
 * the flusher needs, so a test can hand in the real store with one method replaced to inject a fault.
 */
export type TrackedLabelSink = Pick<
  KeyValueStore<TrackedLabelState>,
  'get' | 'put' | 'subscribe' | 'start' | 'ready' | 'close' | 'isReady'
>;
