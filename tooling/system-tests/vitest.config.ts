export { default } from '@labeldocs/testkit/vitest-config';
