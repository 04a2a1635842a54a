/**
 * The names of the SSH key inputs, as action.yml spells them. `commonInputs` (src/inputs) is keyed by these
 * constants and the key parser's messages use them, so a message can never name an input that does not exist (they
 * once named a passphrase input by a name action.yml never had). Here, on the transport's floor, both can import
 * them.
 */
export const SSH_KEY_INPUT = 'ssh-private-key';
export const SSH_PASSPHRASE_INPUT = 'ssh-private-key-passphrase';
