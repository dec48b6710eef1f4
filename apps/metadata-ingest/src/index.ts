export { type AppOptions, buildApp } from './app.js';
export { type AppEnv, envSchema, loadEnv } from './env.js';
