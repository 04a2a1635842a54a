import * as x from '@actions/core'; globalThis.x=x;
