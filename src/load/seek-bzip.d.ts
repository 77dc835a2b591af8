// seek-bzip ships no types; only the whole-stream decoder is used.
declare module 'seek-bzip' {
  interface OutputStream {
    writeByte(byte: number): void;
    flush(): void;
  }
  const Bunzip: {
    decode(input: Buffer, output: OutputStream, multistream?: boolean): OutputStream;
  };
  export default Bunzip;
}
