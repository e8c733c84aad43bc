// imsmanifest.xml for SCORM 1.2 (IMS CP 1.1.2 + ADL CP 1.2).
// Every lesson is a SCO; the quiz SCO carries adlcp:masteryscore so an LMS that
// judges by score alone still applies the 80 % pass mark.
import { itemId, manifestId, organizationId, resourceId } from './identifiers.ts';
import { scormResources } from './manifest-scorm-resources.ts';
import type { PackagePlan, PlanItem } from './package-plan.ts';
import { escapeXml, indent } from './xml.ts';

const NAMESPACES = [
  'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"',
  'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd ' +
    'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd ' +
    'http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"',
];

function item(plan: PackagePlan, entry: PlanItem): string {
  const mastery = entry.kind === 'quiz' ? `\n  <adlcp:masteryscore>${Math.round(plan.masteryScore * 100)}</adlcp:masteryscore>` : '';
  return `<item identifier="${itemId(entry.id)}" identifierref="${resourceId(entry.id)}" isvisible="true">
  <title>${escapeXml(entry.title)}</title>${mastery}
</item>`;
}

export function scorm12Manifest(plan: PackagePlan): string {
  const slug = plan.module.slug;
  const org = organizationId(slug);
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${manifestId(slug)}" version="1.0"
  ${NAMESPACES.join('\n  ')}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="${org}">
    <organization identifier="${org}">
      <title>${escapeXml(plan.module.title)}</title>
${plan.items.map((i) => indent(item(plan, i), 6)).join('\n')}
    </organization>
  </organizations>
  <resources>
${scormResources(plan, 'adlcp:scormtype')}
  </resources>
</manifest>
`;
}
