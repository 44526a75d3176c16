// wrangler's Data modules (a `.bin` import, see src/edge/bundled-snapshot.ts): the file's bytes.
declare module "*.bin" {
  const bytes: ArrayBuffer;
  export default bytes;
}
