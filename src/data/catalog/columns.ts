import duckdb, { type DataChunk } from '@duckdb/node-bindings';

/**
 * Reading numeric columns of DuckDB result chunks as doubles, straight from the vectors' raw bytes
 * through `@duckdb/node-bindings` (one native call per column, no validity mask, no per-value
 * conversion). Columns are read in their stored type (BIGINT, TINYINT...) rather than cast to
 * DOUBLE by DuckDB: a cast costs DuckDB more than the conversion here, and narrow types copy fewer
 * bytes. Values must not be NULL (nullable columns are coalesced in SQL; see run-stream.ts).
 */

/** DuckDB type ids (`duckdb.Type`) whose raw vector data `readDoubles` converts. */
const T = { BOOLEAN: 1, TINYINT: 2, SMALLINT: 3, INTEGER: 4, BIGINT: 5, UTINYINT: 6, USMALLINT: 7, UINTEGER: 8, FLOAT: 10, DOUBLE: 11 } as const;

/** Bytes per value of each supported type id. */
const WIDTH: Readonly<Record<number, number>> = {
  [T.BOOLEAN]: 1,
  [T.TINYINT]: 1,
  [T.SMALLINT]: 2,
  [T.INTEGER]: 4,
  [T.BIGINT]: 8,
  [T.UTINYINT]: 1,
  [T.USMALLINT]: 2,
  [T.UINTEGER]: 4,
  [T.FLOAT]: 4,
  [T.DOUBLE]: 8,
};

/** True when `readDoubles` can read a result column of DuckDB type id `typeId`. */
export function isRawNumericType(typeId: number): boolean {
  return WIDTH[typeId] !== undefined;
}

const TWO_32 = 4294967296;

/**
 * Column `c` of the raw DuckDB chunk `chunk` (first `rows` values, DuckDB type id `typeId`, see
 * `isRawNumericType`) as doubles: DOUBLE columns come back as a view of the one copy the binding
 * makes of the vector (no second copy); other types are converted into `out` (at least `rows`
 * long), which is returned. BIGINT is exact below 2^53 and otherwise correctly rounded, as
 * DuckDB's own cast to DOUBLE. The result is valid until the next call with the same `out`.
 */
export function readDoubles(chunk: DataChunk, c: number, typeId: number, rows: number, out: Float64Array): Float64Array {
  const width = WIDTH[typeId];
  if (width === undefined) throw new Error(`readDoubles: unsupported DuckDB type id ${typeId}`);
  let bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk, c), width * rows);
  if (bytes.byteOffset % width !== 0) bytes = bytes.slice(); // realign (a fresh copy starts at offset 0)
  const b = bytes.buffer;
  const off = bytes.byteOffset;
  switch (typeId) {
    case T.DOUBLE:
      return new Float64Array(b, off, rows);
    case T.BIGINT: {
      const w = new Int32Array(b, off, rows * 2);
      for (let i = 0, j = 0; i < rows; i++, j += 2) out[i] = w[j + 1]! * TWO_32 + (w[j]! >>> 0);
      return out;
    }
    case T.TINYINT:
      out.set(new Int8Array(b, off, rows));
      return out;
    case T.SMALLINT:
      out.set(new Int16Array(b, off, rows));
      return out;
    case T.INTEGER:
      out.set(new Int32Array(b, off, rows));
      return out;
    case T.BOOLEAN: // stored as 0 or 1
    case T.UTINYINT:
      out.set(new Uint8Array(b, off, rows));
      return out;
    case T.USMALLINT:
      out.set(new Uint16Array(b, off, rows));
      return out;
    case T.UINTEGER:
      out.set(new Uint32Array(b, off, rows));
      return out;
    default: // FLOAT
      out.set(new Float32Array(b, off, rows));
      return out;
  }
}
