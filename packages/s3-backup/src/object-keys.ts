/** Where a backup's objects live in a bucket: `<prefix>/<topic>/<backupId>/...`. */
export function backupPrefix(topic: string, backupId: string, prefix = 'backups'): string {
  if (topic.includes('/') || backupId.includes('/'))
    throw new Error('topic and backup id must not contain "/"');
  return `${prefix}/${topic}/${backupId}`;
}

export const manifestKey = (topic: string, backupId: string, prefix?: string) =>
  `${backupPrefix(topic, backupId, prefix)}/manifest.json`;
