import * as x from 'undici'; globalThis.x=x;
