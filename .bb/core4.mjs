import * as fs from 'fs'; import * as os from 'os'; import * as crypto from 'crypto'; globalThis.x=[fs,os,crypto];
