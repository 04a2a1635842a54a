import { summary } from '@actions/core'; globalThis.x=[summary];
