import type { FastifyBaseLogger } from 'fastify';

/**
 * A request's logger that makes its pino child (request id bound) only when the request logs. With
 * redaction configured, pino runs the redactor over the bindings of every child it makes: about 2 %
 * of a gateway request's CPU, for a logger that almost never writes (docs/performance-history.md).
 */
class LazyChildLogger implements FastifyBaseLogger {
  readonly #make: () => FastifyBaseLogger;
  #made: FastifyBaseLogger | undefined;

  constructor(make: () => FastifyBaseLogger) {
    this.#make = make;
  }

  #logger(): FastifyBaseLogger {
    return (this.#made ??= this.#make());
  }

  get level(): string {
    return this.#logger().level;
  }
  set level(level: string) {
    this.#logger().level = level;
  }

  fatal(...args: Parameters<FastifyBaseLogger['fatal']>): void {
    this.#logger().fatal(...args);
  }
  error(...args: Parameters<FastifyBaseLogger['error']>): void {
    this.#logger().error(...args);
  }
  warn(...args: Parameters<FastifyBaseLogger['warn']>): void {
    this.#logger().warn(...args);
  }
  info(...args: Parameters<FastifyBaseLogger['info']>): void {
    this.#logger().info(...args);
  }
  debug(...args: Parameters<FastifyBaseLogger['debug']>): void {
    this.#logger().debug(...args);
  }
  trace(...args: Parameters<FastifyBaseLogger['trace']>): void {
    this.#logger().trace(...args);
  }
  silent(...args: Parameters<FastifyBaseLogger['silent']>): void {
    this.#logger().silent(...args);
  }
  child(...args: Parameters<FastifyBaseLogger['child']>): FastifyBaseLogger {
    return this.#logger().child(...args);
  }
}

/** Fastify's childLoggerFactory, lazily: the same child as the default factory, made on first use. */
export function lazyChildLoggerFactory(
  logger: FastifyBaseLogger,
  ...child: Parameters<FastifyBaseLogger['child']>
): FastifyBaseLogger {
  return new LazyChildLogger(() => logger.child(...child));
}
