import { Sections, type Section } from '../components/Sections';
import { TokensInspector } from './inspector/Tokens';
import { DeepLinks } from './inspector/DeepLinks';
import { Diagnose } from './inspector/Diagnose';
import { SamlInspector } from './inspector/SamlInspector';

/** Inspector sections. Each feature adds one entry here and one file under inspector/. */
const SECTIONS: Section[] = [
  { id: 'tokens', label: 'Tokens', render: () => <TokensInspector /> },
  { id: 'deep-links', label: 'Deep links', render: () => <DeepLinks /> },
  { id: 'diagnose', label: 'Diagnose', render: () => <Diagnose /> },
  { id: 'saml', label: 'SAML', render: () => <SamlInspector /> },
];

export const InspectorScreen = () => <Sections label="Inspector" sections={SECTIONS} />;
