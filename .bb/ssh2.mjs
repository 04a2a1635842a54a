import * as x from 'ssh2'; globalThis.x=x;
