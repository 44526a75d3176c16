// The binary snapshot bundled into the Worker: wrangler's default module rules make a `.bin`
// import a Data module, whose default export is the file's bytes as an ArrayBuffer. The file is
// whatever `npm run build:snapshot` last wrote there, read when wrangler builds the bundle (dev,
// deploy); scripts/lib/local-worker.ts points this import at another file for tests and the
// benchmark (its `snapshotFile` option), through a build alias of this module's specifier.
export { default } from "../../dist/worker-assets/partners.index.bin";
