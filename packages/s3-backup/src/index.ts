export { backupPrefix, manifestKey } from './object-keys.js';
