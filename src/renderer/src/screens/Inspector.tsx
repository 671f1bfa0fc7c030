import { Sections, type Section } from '../components/Sections';
import { TokensInspector } from './inspector/Tokens';

/** Inspector sections. Each feature adds one entry here and one file under inspector/. */
const SECTIONS: Section[] = [
  { id: 'tokens', label: 'Tokens', render: () => <TokensInspector /> },
];

export const InspectorScreen = () => <Sections label="Inspector" sections={SECTIONS} />;
