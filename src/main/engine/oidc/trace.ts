// One trace class for every engine (src/main/engine/trace.ts), in the shared TraceStep shape.
export { Trace } from '../trace';
