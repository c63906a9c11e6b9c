/** The embedded demo: its own PostgreSQL cluster, used when no DATABASE_URL is given. */
import { z } from 'zod';
import { port } from './values.ts';

export const EmbeddedModel = z
  .object({
    EMBEDDED_PG_DIR: z.string().min(1).default('.usergraph'),
    EMBEDDED_PG_PORT: port.default(0),
  })
  .transform((e) => ({
    embedded: {
      /** Folder holding the embedded cluster and the demo admin key; survives restarts. */
      dataDir: e.EMBEDDED_PG_DIR,
      /** 0: pick a free port at each start. */
      port: e.EMBEDDED_PG_PORT,
    },
  }));
