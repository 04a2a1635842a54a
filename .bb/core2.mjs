import { getInput, setFailed, getState, saveState } from '@actions/core'; globalThis.x=[getInput, setFailed,getState, saveState];
