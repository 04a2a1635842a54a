import * as x from 'yaml'; globalThis.x=x;
