// A mailbox / SMS inbox for the scenarios (issue 8): the `Sender` a product would implement with its
// mailer or SMS gateway, here keeping every message so the story can read the code the user received.
import type { OneTimeCodeMessage, Sender } from '../../src/index.js';

export function outbox() {
  const messages: OneTimeCodeMessage[] = [];
  const sender: Sender = {
    async send(message) {
      messages.push(message);
    },
  };
  /** The last message received. */
  const last = (): OneTimeCodeMessage => {
    const m = messages.at(-1);
    if (m === undefined) throw new Error('no message was sent');
    return m;
  };
  return { sender, messages, last };
}
