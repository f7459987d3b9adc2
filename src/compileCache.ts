/**
 * Node's on-disk compile cache (Node 22.1+): after the first start, the V8 bytecode of our modules
 * and of our dependencies is read back instead of compiled again. Start-up is mostly loading
 * botbuilder, restify and the Azure SDK, so this shortens the time to a healthy /healthz after a
 * restart or scale-out. index.ts imports this module first, before anything heavy is loaded.
 *
 * The cache lives in NODE_COMPILE_CACHE if set, else in the OS temp folder; it holds compiled code
 * only (no data), is checked against each file's contents, and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
import module from 'node:module';

module.enableCompileCache();
