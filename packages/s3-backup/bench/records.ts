// The records every backup benchmark writes: unique label-like keys, ~490-byte JSON values.

export const pad = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(8);

export const benchMessage = (i: number) => {
  const key = `grp_Label${String(i).padStart(8, '0')}`;
  return {
    key,
    value: JSON.stringify({
      name: key,
      description: pad.slice(0, 380 + (i % 40)),
      owner: `team-${i % 17}`,
      rev: i,
    }),
  };
};

/** The messages with indexes [from, to). */
export const benchMessages = (from: number, to: number) => {
  const messages = [];
  for (let i = from; i < to; i++) messages.push(benchMessage(i));
  return messages;
};
