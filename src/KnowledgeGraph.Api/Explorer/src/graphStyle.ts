// How each kind of entity looks, in the graph and in the legend: a colour and a shape, so that kind never rests on
// colour alone.
import type { EntityKind } from './gql/graphql';

export interface KindLook { colour: string; shape: 'ellipse' | 'round-rectangle' | 'diamond' | 'hexagon' | 'triangle' | 'octagon' | 'star'; points: string }

// Legend polygons in a 20×20 box; the ellipse is drawn as a circle.
export const looks: Record<EntityKind, KindLook> = {
  COMPANY: { colour: '#1f5fa8', shape: 'round-rectangle', points: '2,4 18,4 18,16 2,16' },
  PERSON: { colour: '#b3261e', shape: 'ellipse', points: '' },
  APP: { colour: '#1e7b34', shape: 'diamond', points: '10,1 19,10 10,19 1,10' },
  PLATFORM: { colour: '#6f42a8', shape: 'hexagon', points: '5,2 15,2 19,10 15,18 5,18 1,10' },
  REGION: { colour: '#0b7285', shape: 'triangle', points: '10,2 19,18 1,18' },
  CONTROVERSY: { colour: '#b35c00', shape: 'octagon', points: '6,1 14,1 19,6 19,14 14,19 6,19 1,14 1,6' },
  ENDORSEMENT: { colour: '#8a6d00', shape: 'star', points: '10,1 12.4,7 19,7.3 13.8,11.4 15.6,18 10,14.2 4.4,18 6.2,11.4 1,7.3 7.6,7' },
};

export function legendShape(kind: EntityKind): SVGSVGElement {
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  const look = looks[kind];
  const shape = look.shape === 'ellipse' ? document.createElementNS(svgNs, 'circle') : document.createElementNS(svgNs, 'polygon');
  if (look.shape === 'ellipse') {
    shape.setAttribute('cx', '10');
    shape.setAttribute('cy', '10');
    shape.setAttribute('r', '8');
  } else {
    shape.setAttribute('points', look.points);
  }
  shape.setAttribute('fill', look.colour);
  svg.append(shape);
  return svg;
}
