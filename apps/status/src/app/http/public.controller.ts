/** The public, unauthenticated side: dashboard, badges, Atom feed, favicon, liveness. */
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { UPTIME_WINDOWS, type UptimeWindow } from '@orcest/monitoring';
import type { FastifyReply } from 'fastify';
import { InvalidInputError, NotFoundError } from '../errors';
import { renderAtomFeed } from '../pages/atom-feed';
import { statusBadge, uptimeBadge } from '../pages/badge';
import { drawFaviconIco, FAVICON_SVG } from '../pages/favicon';
import { renderComponentPage } from '../pages/component-page';
import { renderDashboard } from '../pages/dashboard-page';
import { renderIncidentPage } from '../pages/incident-page';
import { StatusContext } from '../status-context';
import type { StatusSnapshot } from '../summary/status-snapshot';

const FAVICON_ICO = drawFaviconIco();

@Controller()
export class PublicController {
  /** The last rendered page and the snapshot it came from: rendering happens once per snapshot. */
  private rendered: { snapshot: StatusSnapshot; html: string } | undefined;

  constructor(@Inject(StatusContext) private readonly context: StatusContext) {}

  @Get()
  async dashboard(@Res() reply: FastifyReply): Promise<void> {
    const snapshot = await this.context.summary.snapshot();
    if (this.rendered?.snapshot !== snapshot) {
      this.rendered = { snapshot, html: renderDashboard(snapshot, { emailEnabled: this.context.config.subscriptions.smtpUrl !== undefined }) };
      this.context.rememberComponents(snapshot.components.map((c) => c.id));
    }
    void reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=5').send(this.rendered.html);
  }

  @Get(['history.atom', 'feed.atom'])
  async feed(@Res() reply: FastifyReply): Promise<void> {
    const snapshot = await this.context.summary.snapshot();
    void reply.type('application/atom+xml; charset=utf-8').send(renderAtomFeed(snapshot));
  }

  @Get('badge/:id/status.svg')
  async statusBadge(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const component = await this.component(id);
    void svg(reply, statusBadge(component.name, component.status));
  }

  @Get('badge/:id/uptime.svg')
  async uptimeBadge(@Param('id') id: string, @Query('window') window: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const w = (window ?? '30d') as UptimeWindow;
    if (!UPTIME_WINDOWS.includes(w)) throw new InvalidInputError(`window must be one of ${UPTIME_WINDOWS.join(', ')}.`, 'window');
    const component = await this.component(id);
    void svg(reply, uptimeBadge(component.name, w, component.uptime[w].ratio));
  }

  @Get('components/:id')
  async componentPage(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const snapshot = await this.context.summary.snapshot();
    const component = snapshot.components.find((c) => c.id === id);
    if (!component) throw new NotFoundError(`No component "${id.slice(0, 100)}". See /api/v2/components.json for the ids.`);
    const details = await this.context.componentDetails.details(component.id);
    void reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=5').send(renderComponentPage(component, details, snapshot, { emailEnabled: this.context.config.subscriptions.smtpUrl !== undefined }));
  }

  @Get('incidents/:id')
  async incident(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const [incident, snapshot] = await Promise.all([this.context.incidents.find(id), this.context.summary.snapshot()]);
    void reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=5').send(renderIncidentPage(incident, snapshot));
  }

  @Get('favicon.svg')
  faviconSvg(@Res() reply: FastifyReply): void {
    void reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG);
  }

  @Get('favicon.ico')
  faviconIco(@Res() reply: FastifyReply): void {
    void reply.type('image/x-icon').header('cache-control', 'public, max-age=86400').send(FAVICON_ICO);
  }

  @Get('health')
  health() {
    return { status: 'ok', checker: this.context.checker.isLeader ? 'leader' : 'standby', replica: this.context.checker.holder };
  }

  private async component(id: string) {
    const snapshot = await this.context.summary.snapshot();
    const found = snapshot.components.find((c) => c.id === id) ?? snapshot.groups.find((g) => g.id === id);
    if (!found) throw new NotFoundError(`No component "${id.slice(0, 100)}". See /api/v2/components.json for the ids.`);
    if ('uptime' in found) return found;
    // A group's uptime badge: none of its own, so the members' mean is not invented; status only.
    return { name: found.name, status: found.status, uptime: { '24h': { ratio: null }, '7d': { ratio: null }, '30d': { ratio: null }, '90d': { ratio: null } } };
  }
}

function svg(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=30').send(body);
}
