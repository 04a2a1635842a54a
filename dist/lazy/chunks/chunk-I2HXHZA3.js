// src/transports/ssh-inputs.ts
var SSH_KEY_INPUT = "ssh-private-key";
var SSH_PASSPHRASE_INPUT = "ssh-private-key-passphrase";

export {
  SSH_KEY_INPUT,
  SSH_PASSPHRASE_INPUT
};
