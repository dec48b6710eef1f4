/** Default topic names; every app lets an env variable override its own. */
export const TOPICS = {
  labels: 'labeldocs.labels',
  trackedLabels: 'labeldocs.tracked-labels',
  impressions: 'labeldocs.impressions',
  trackedLabelAggregates: 'labeldocs.tracked-label-aggregates',
  impressionsDeadLetter: 'labeldocs.impressions.dlq',
  publicLabels: 'labeldocs.public-labels',
} as const;
