// One trace class for every engine (src/main/engine/trace.ts); kept here so existing imports stay valid.
export { Trace } from '../trace';
