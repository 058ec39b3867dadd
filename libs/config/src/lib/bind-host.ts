/**
 * The address every app listens on. Loopback unless HOST says otherwise: an app started on a
 * laptop (`npm start`) must not be reachable from the network by accident; containers and
 * hosted services set HOST=0.0.0.0 where the app is meant to be reached (the Dockerfiles,
 * docker-compose.yml, render.yaml).
 */
import { z } from 'zod';

export const DEFAULT_BIND_HOST = '127.0.0.1';

export const bindHost = z.string().min(1).default(DEFAULT_BIND_HOST);
