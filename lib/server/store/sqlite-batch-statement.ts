/**
 * One SQL statement over many rows at once (`VALUES (?, ?), (?, ?), ...` or `IN (?, ?, ...)`).
 * Issue #7, ingest: one statement per event per table was most of the cost of storing a batch
 * of 100 events; one statement per chunk of rows does the same work with a fraction of the
 * per-statement overhead (bind, step, reset, VDBE setup).
 */
import type Database from 'better-sqlite3';

/**
 * Rows per statement. 128 rows x 5 columns = 640 bound variables, far below SQLite's limit
 * (32,766 since 3.32) and small enough that the few cached statement shapes stay cheap.
 */
export const ROWS_PER_STATEMENT = 128;

export interface BatchStatement {
  /** Runs the statement for `rows` (each row = the values of one row's placeholders), in chunks. */
  run(rows: readonly (readonly unknown[])[]): void;
  /** Like run, but collects what each chunk's statement returns (a SELECT). */
  all<Row>(rows: readonly (readonly unknown[])[]): Row[];
}

/**
 * `sqlFor(placeholders)` builds the statement for one chunk, given the placeholder list for
 * that many rows: `(?, ?, ?), (?, ?, ?)` when `columns` > 1 (a VALUES list), `?, ?` when it is 1
 * (an IN list). A prepared statement is cached per chunk size, so a steady stream of same-sized
 * batches prepares at most two shapes (the full chunk and the remainder).
 */
export function batchStatement(
  db: Database.Database,
  columns: number,
  sqlFor: (placeholders: string) => string,
): BatchStatement {
  const prepared = new Map<number, Database.Statement>();
  const row = columns === 1 ? '?' : `(${new Array<string>(columns).fill('?').join(', ')})`;

  function statementFor(rowCount: number): Database.Statement {
    let statement = prepared.get(rowCount);
    if (statement === undefined) {
      statement = db.prepare(sqlFor(new Array<string>(rowCount).fill(row).join(', ')));
      prepared.set(rowCount, statement);
    }
    return statement;
  }

  function eachChunk(
    rows: readonly (readonly unknown[])[],
    use: (statement: Database.Statement, values: unknown[]) => void,
  ): void {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      use(statementFor(chunk.length), chunk.flat());
    }
  }

  return {
    run(rows) {
      eachChunk(rows, (statement, values) => statement.run(values));
    },
    all<Row>(rows: readonly (readonly unknown[])[]): Row[] {
      const found: Row[] = [];
      eachChunk(rows, (statement, values) => {
        for (const result of statement.all(values)) found.push(result as Row);
      });
      return found;
    },
  };
}
